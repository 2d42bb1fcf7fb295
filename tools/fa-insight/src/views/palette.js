// Series colours: distinct and readable on white. Series are sorted by name before they are coloured,
// so a tag keeps its colour from one redraw to the next while the set of tags stays the same.

const colours = ['#2f6fdf', '#e07b1a', '#2a9d5b', '#c43c5c', '#7a4fd0', '#1c9fb0', '#b58a0c', '#6d6d6d',
                 '#d0559f', '#4e8a1e', '#8a5a2b', '#3b4bb5'];

export function colour_at(i) {
  return colours[i % colours.length];
}

export function fill_for(colour) {
  return `${colour}66`;
}
