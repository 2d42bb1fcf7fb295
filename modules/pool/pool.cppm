// framealloc.pool: memory that outlives a frame but is small and frequent (entities, components,
// nodes). pool_resource, object_pool<T>, pool_ptr<T>, and the tracked heap_resource.
export module framealloc.pool;
export import :size_classes;
export import :slab;
export import :slab_map;
export import :slab_pages;
export import :thread_cache;
export import :pool_resource;
export import :pool_registry;
export import :pool_ptr;
export import :object_pool;
export import :heap_resource;
