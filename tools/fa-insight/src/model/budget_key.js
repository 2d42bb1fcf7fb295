// Budgets are told apart by who they limit and what they count: a tag can have a frame budget and a
// pool budget at once. Thread budgets come from two places (threads[].budget and budgets[] with scope
// "thread"); both use this key so they meet in one history.

export function budget_key(scope, name, kind) {
  return `${scope}\u0000${name}\u0000${kind}`;
}

export function budget_label(scope, name, kind) {
  const who = scope === 'global' ? 'global' : `${scope} ${name}`;
  return kind === 'all' ? who : `${who} (${kind})`;
}
