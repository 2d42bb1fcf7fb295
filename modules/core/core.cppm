// framealloc.core: vocabulary shared by every other module (errors, alignment and size arithmetic,
// size literals, per-thread state of resources). It imports nothing of ours; everything else imports it.
export module framealloc.core;
export import :errors;
export import :align;
export import :literals;
export import :thread_registry;
export import :budget;
export import :debug;
