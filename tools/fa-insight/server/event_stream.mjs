// Server-sent events to every open page: one named event per change of the directory. A comment line
// every 15 s keeps proxies and the browser from closing an idle stream.

export class event_stream {
  constructor() {
    this.clients = new Set();
    this.timer = setInterval(() => this.write(': keep-alive\n\n'), 15000);
    this.timer.unref();
  }

  attach(res) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  send(event, data) {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  write(text) {
    for (const res of this.clients) res.write(text);
  }

  close() {
    clearInterval(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
