// FA210: a frame_task_group task (a task of the frame) must not end its own frame.
import framealloc;

class renderer {
public:
    explicit renderer(framealloc::smart_alloc& alloc) : alloc_(alloc) {}
    void frame(framealloc::frame_task_group& tasks) {
        tasks.run([this] {
            (void)alloc_.end_frame_with_promotions();  // expect: FA210
        });
    }

private:
    framealloc::smart_alloc& alloc_;
};
