// A uPlot chart over frames: optional stacking (bands between cumulative lines), a legend that shows each
// series' own exact value under the cursor, drag to zoom on frames, double-click to zoom out, click to
// select a snapshot, and markers drawn at chosen frames.
import uPlot from 'uplot';
import { stack } from '../model/stack.js';
import { exact, size } from '../model/format.js';
import { colour_at, fill_for } from './palette.js';

// Frames and counts are whole numbers: their ticks step by 1, 2, 5, 10, 20, 50...
const frame_steps = [];
for (let p = 1; p <= 1e15; p *= 10) frame_steps.push(p, 2 * p, 5 * p);

export class line_chart {
  // options: { height, unit ('bytes' | 'count'), on_pick(index) }
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.plot = null;
    this.key = '';
    this.raw = [];
    this.marks = [];
    this.selected = -1;
    this.zoomed = false;
  }

  // frames: x values; names, columns: the series; stacked: draw cumulative sums.
  set_data(frames, names, columns, stacked) {
    this.raw = columns;
    this.frames = frames;
    const drawn = stacked ? stack(columns) : columns;
    const data = [frames, ...drawn];
    const key = `${stacked}|${names.join('\u0001')}`;
    this.container.dataset.points = String(frames.length);
    this.container.dataset.series = String(names.length);
    if (frames.length === 0 || names.length === 0) {
      // uPlot cannot lay out axes over no data: nothing is drawn until the first point.
      if (this.plot) this.plot.destroy();
      this.plot = null;
      this.key = '';
      return;
    }
    if (!this.plot || key !== this.key) {
      this.key = key;
      this.create(names, stacked, data);
    } else {
      this.plot.setData(data, !this.zoomed);
    }
  }

  set_marks(marks) {
    this.marks = marks;
    this.container.dataset.marks = String(marks.length);
    if (this.plot) this.plot.redraw(false);
  }

  set_selected(index) {
    this.selected = index;
    if (this.plot) this.plot.redraw(false);
  }

  reset_zoom() {
    this.zoomed = false;
    if (this.plot && this.frames.length) this.plot.setScale('x', { min: this.frames[0], max: this.frames.at(-1) });
  }

  // Page coordinates of point `index` of the first series: where a person would hover to read it.
  point_position(index, series = 0) {
    const u = this.plot;
    const rect = u.over.getBoundingClientRect();
    const y = u.data[series + 1][index];
    // The first and last points lie on the plot's edges: stay a pixel inside, where the cursor still is.
    const inside = (v, extent) => Math.min(Math.max(v, 1), extent - 1);
    return { x: rect.left + inside(u.valToPos(u.data[0][index], 'x'), rect.width),
             y: rect.top + inside(u.valToPos(y ?? 0, 'y'), rect.height) };
  }

  format(v) {
    return this.options.unit === 'count' ? exact(v) : `${exact(v)} B`;
  }

  create(names, stacked, data) {
    if (this.plot) this.plot.destroy();
    const chart = this;
    const series = [{ label: 'frame', value: (u, v) => (v === null || v === undefined ? '—' : String(v)) }];
    names.forEach((name, i) => {
      const colour = colour_at(i);
      series.push({
        label: name,
        stroke: colour,
        width: 1.5,
        fill: stacked ? fill_for(colour) : undefined,
        points: { show: data[0].length <= 200 },
        spanGaps: false,
        value: (u, v, sidx, idx) => (idx === null || idx === undefined ? '—' : chart.format(chart.raw[sidx - 1][idx])),
      });
    });
    // Each series above the first fills only down to the one below it (uPlot clips a band's upper fill).
    const bands = stacked ? names.slice(1).map((_, i) => ({ series: [i + 2, i + 1] })) : [];
    const opts = {
      width: Math.max(300, this.container.clientWidth),
      height: this.options.height,
      // Memory and counts start at zero: a stacked area that starts elsewhere misleads.
      scales: { x: { time: false }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.05 : 1] } },
      series,
      bands,
      axes: [
        { label: 'frame', incrs: frame_steps },
        this.options.unit === 'count'
          ? { values: (u, ticks) => ticks.map(exact), incrs: frame_steps, size: 84 }  // whole counts
          : { values: (u, ticks) => ticks.map(size), size: 84 },
      ],
      cursor: { drag: { x: true, y: false }, points: { size: 7 } },
      legend: { live: true },
      hooks: {
        draw: [(u) => this.draw_overlay(u)],
        setSelect: [(u) => {
          if (u.select.width > 0) this.zoomed = true;
        }],
        ready: [(u) => {
          // uPlot's drag handling swallows the click event: a press and release in one place is a pick.
          let down = null;
          u.over.addEventListener('mousedown', (e) => {
            down = { x: e.clientX, y: e.clientY };
          });
          u.over.addEventListener('mouseup', (e) => {
            const still = down && Math.abs(e.clientX - down.x) < 4 && Math.abs(e.clientY - down.y) < 4;
            down = null;
            if (still && u.cursor.idx !== null && u.cursor.idx !== undefined) this.options.on_pick?.(u.cursor.idx);
          });
          u.over.addEventListener('dblclick', () => {
            this.zoomed = false;
          });
        }],
      },
    };
    this.plot = new uPlot(opts, data, this.container);
  }

  // The selected snapshot as a vertical line, budget crossings as triangles on the top edge.
  draw_overlay(u) {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    if (this.selected >= 0 && this.selected < u.data[0].length) {
      const x = Math.round(u.valToPos(u.data[0][this.selected], 'x', true));
      ctx.strokeStyle = '#222';
      ctx.setLineDash([4, 3]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const s = devicePixelRatio;
    for (const m of this.marks) {
      const x = u.valToPos(m.frame, 'x', true);
      if (x < u.bbox.left - 1 || x > u.bbox.left + u.bbox.width + 1) continue;
      ctx.fillStyle = m.level === 'hard' ? '#c0262d' : '#e69500';
      ctx.beginPath();
      ctx.moveTo(x - 6 * s, top);
      ctx.lineTo(x + 6 * s, top);
      ctx.lineTo(x, top + 10 * s);
      ctx.closePath();
      ctx.fill();
    }
    ctx.restore();
  }

  resize() {
    if (this.plot) this.plot.setSize({ width: Math.max(300, this.container.clientWidth), height: this.options.height });
  }
}
