// Near miss for FA602: a local object holding frame memory dies with the function; members given
// pool memory or copied values are fine.
import framealloc;

struct view {
    int* p = nullptr;
};

class owner {
public:
    int use(framealloc::smart_alloc& alloc) {
        view local;
        local.p = alloc.frame_alloc<int>(5);
        count_ = *local.p;
        kept_ = alloc.pool_alloc<int>(count_);
        return count_;
    }

private:
    int count_ = 0;
    framealloc::pool_ptr<int> kept_;
};
