// Destructors owed by frame memory: frame_alloc<T> of a type that is not trivially destructible links a
// node (stored in the arena itself) that runs ~T at end_frame() or on rewind. The list is LIFO, so
// objects are destroyed in the reverse order of their construction.
module;
#include <cstddef>
#include <new>
#include <type_traits>
export module framealloc.arena:destructor_list;

export namespace framealloc::detail {

struct destructor_node {
    destructor_node* next;
    void (*destroy)(void* first, std::size_t count) noexcept;
    void* first;
    std::size_t count;
};

template <class T>
void destroy_array(void* first, std::size_t count) noexcept {
    static_assert(std::is_nothrow_destructible_v<T>, "frame memory runs destructors at end_frame(): they must not throw");
    T* objects = static_cast<T*>(first);
    for (std::size_t i = count; i > 0; --i) objects[i - 1].~T();
}

class destructor_list {
public:
    void push(destructor_node* node) noexcept {
        node->next = head_;
        head_ = node;
        ++size_;
    }

    // Runs destructors, newest first, until only `keep` entries remain.
    void unwind_to(std::size_t keep) noexcept {
        while (size_ > keep) {
            destructor_node* node = head_;
            head_ = node->next;
            --size_;
            node->destroy(node->first, node->count);
        }
    }

    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    destructor_node* head_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace framealloc::detail
