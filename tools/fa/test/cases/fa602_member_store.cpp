// FA602: a frame pointer kept in a member of an object that outlives the frame.
import framealloc;

class hit_cache {
public:
    void remember(framealloc::smart_alloc& alloc) {
        int* hit = alloc.frame_alloc<int>(3);
        last_ = hit;  // expect: FA602
    }

private:
    int* last_ = nullptr;
};
