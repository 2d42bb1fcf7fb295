// Near miss for FA601: callees of this file that copy the value out, or store something else; a
// pointer to pool memory passed to a storing callee.
import framealloc;

int g_last_value = 0;
const int* g_fallback = nullptr;

void remember_value(const int* hit) { g_last_value = *hit; }
void remember_other(const int* hit, const int* other) {
    (void)hit;
    g_fallback = other;
}

void collide(framealloc::smart_alloc& alloc) {
    int* hit = alloc.frame_alloc<int>(3);
    remember_value(hit);
    auto kept = alloc.pool_alloc<int>(4);
    remember_other(hit, kept.get());
}
