// fa-insight for VS Code: a thin client. Diagnostics, hovers and code actions come from `fa lsp` (the
// Language Server every editor uses); the memory inspector reads the newest snapshot with the viewer's
// own reader; the viewer itself (fa-insight serve) is shown in a webview.
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { inspector_node, inspector_tree, newest_snapshot, request_snapshot } from './inspector_model';
import { locate_program } from './locate';

let client: LanguageClient | undefined;

function settings() {
  return vscode.workspace.getConfiguration('faInsight');
}

function workspace_root(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function is_executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function locate(name: string, setting: string, in_workspace: string[]) {
  return locate_program({ name, configured: settings().get<string>(setting, ''), workspace: workspace_root(),
                          in_workspace, path_env: process.env.PATH ?? '', is_executable });
}

function snapshot_dir(): string {
  const dir = settings().get<string>('snapshotDirectory', 'snapshots');
  const root = workspace_root();
  return path.isAbsolute(dir) || root === undefined ? dir : path.join(root, dir);
}

async function start_client(context: vscode.ExtensionContext): Promise<void> {
  const fa = locate('fa', 'faPath', ['build/debug/tools/fa/fa', 'build/tools/fa/fa']);
  if (!fa.ok) {
    void vscode.window.showErrorMessage(`fa-insight: ${fa.error}`);
    return;
  }
  const build = settings().get<string>('buildDirectory', '');
  const server: ServerOptions = {
    command: fa.file,
    args: ['lsp', ...(build !== '' ? ['-p', build] : [])],
    options: { cwd: workspace_root() },
  };
  const options: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'cpp' }, { scheme: 'file', language: 'c' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/.fa.toml') },
  };
  client = new LanguageClient('faInsight', 'fa (framealloc analyzer)', server, options);
  context.subscriptions.push(client);
  await client.start();
}

class inspector implements vscode.TreeDataProvider<inspector_node> {
  private changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: inspector_node[] = [];

  async refresh(): Promise<void> {
    const dir = snapshot_dir();
    const found = await newest_snapshot(dir);
    if (found === null) this.roots = [{ label: `No snapshot in ${dir} yet`, description: 'Request one, or run the program' }];
    else if (!found.ok) this.roots = [{ label: 'Cannot read the newest snapshot', description: found.error, warning: true }];
    else this.roots = inspector_tree(found.name, found.snapshot);
    this.changed.fire();
  }
  getTreeItem(n: inspector_node): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.children ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = n.description;
    item.tooltip = n.tooltip;
    if (n.warning) item.iconPath = new vscode.ThemeIcon('warning');
    return item;
  }
  getChildren(n?: inspector_node): inspector_node[] {
    return n ? n.children ?? [] : this.roots;
  }
}

async function open_viewer(context: vscode.ExtensionContext): Promise<void> {
  const viewer = locate('fa-insight', 'viewerPath', ['build/debug/tools/fa-insight/fa-insight', 'build/tools/fa-insight/fa-insight']);
  if (!viewer.ok) {
    void vscode.window.showErrorMessage(`fa-insight: ${viewer.error}`);
    return;
  }
  const request = settings().get<string>('requestFile', 'snapshot.request');
  const serve: ChildProcess = spawn(viewer.file, ['serve', snapshot_dir(), '--request-file', request], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    serve.stdout?.on('data', (chunk) => {
      text += String(chunk);
      const m = /(http:\/\/\S+)/.exec(text);
      if (m) resolve(m[1]);
    });
    serve.on('exit', (code) => reject(new Error(`fa-insight serve ended with status ${code}`)));
  });
  const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
  const panel = vscode.window.createWebviewPanel('faInsight.viewer', 'fa-insight', vscode.ViewColumn.Active, { enableScripts: true });
  panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-src ${external.scheme}://${external.authority};"></head>
<body style="margin:0;padding:0"><iframe src="${external.toString()}" style="border:0;width:100vw;height:100vh"></iframe></body></html>`;
  panel.onDidDispose(() => serve.kill());
  context.subscriptions.push({ dispose: () => serve.kill() });
}

function code_at_cursor(): string {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return '';
  const at = editor.selection.active;
  for (const d of vscode.languages.getDiagnostics(editor.document.uri))
    if (d.source === 'fa' && d.range.contains(at)) return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
  const word = editor.document.getWordRangeAtPosition(at, /FA\d{3}/);
  return word ? editor.document.getText(word) : '';
}

async function explain_code(): Promise<void> {
  const code = await vscode.window.showInputBox({ prompt: 'A framealloc diagnostic code', value: code_at_cursor(), placeHolder: 'FA601' });
  if (!code) return;
  if (!client) {
    void vscode.window.showErrorMessage('fa-insight: fa lsp is not running');
    return;
  }
  try {
    const reply = await client.sendRequest<{ markdown: string }>('fa/explain', { code: code.trim().toUpperCase() });
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: reply.markdown });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  } catch (e: any) {
    void vscode.window.showErrorMessage(`fa-insight: ${e.message}`);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const tree = new inspector();
  context.subscriptions.push(vscode.window.registerTreeDataProvider('faInsight.memoryInspector', tree));
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(snapshot_dir(), '*.json'));
  for (const on of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) context.subscriptions.push(on(() => tree.refresh()));
  context.subscriptions.push(
    watcher,
    vscode.commands.registerCommand('faInsight.refreshInspector', () => tree.refresh()),
    vscode.commands.registerCommand('faInsight.openViewer', () => open_viewer(context)),
    vscode.commands.registerCommand('faInsight.explainCode', explain_code),
    vscode.commands.registerCommand('faInsight.requestSnapshot', async () => {
      const file = await request_snapshot(snapshot_dir(), settings().get<string>('requestFile', 'snapshot.request'));
      void vscode.window.showInformationMessage(`fa-insight: requested a snapshot (${file}); the program writes it at its next frame`);
    }),
    vscode.commands.registerCommand('faInsight.restartServer', async () => {
      if (client) await client.restart();
      else await start_client(context);
    }),
  );
  await tree.refresh();
  await start_client(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
