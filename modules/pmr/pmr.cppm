// framealloc.pmr: composition over std::pmr — standard-Allocator (non-polymorphic) wrappers
// (frame_allocator, pool_allocator), tagged_resource and checking_resource. Boost.Container's pmr
// containers use these resources through boost::container::pmr::resource_adaptor (docs/layout.md).
export module framealloc.pmr;
export import :frame_allocator;
export import :pool_allocator;
export import :tagged_resource;
export import :checking_resource;
