// Chunks: the blocks an arena obtains from its upstream resource, and the intrusive list that chains
// them. A chunk is [chunk header | payload]; the header is one cache line so that the payload starts
// 64-byte aligned and the first bump of a fresh chunk needs no padding for alignments up to 64.
module;
#include <cstddef>
#include <cstdint>
export module framealloc.arena:chunk_list;

export namespace framealloc::detail {

struct chunk {
    chunk* next = nullptr;
    std::size_t size = 0;  // bytes obtained from upstream, header included

    static constexpr std::size_t header_size = 64;
    static constexpr std::size_t alignment = 64;  // alignment requested from upstream

    [[nodiscard]] std::byte* payload() noexcept { return reinterpret_cast<std::byte*>(this) + header_size; }
    [[nodiscard]] std::byte* payload_end() noexcept { return reinterpret_cast<std::byte*>(this) + size; }
    [[nodiscard]] std::size_t payload_size() const noexcept { return size - header_size; }
};
static_assert(sizeof(chunk) <= chunk::header_size, "the chunk header must fit in the reserved cache line");

// Singly linked FIFO of chunks with O(1) push_back / pop_front / splice and a running byte total.
class chunk_list {
public:
    [[nodiscard]] chunk* front() const noexcept { return head_; }
    [[nodiscard]] chunk* back() const noexcept { return tail_; }
    [[nodiscard]] bool empty() const noexcept { return head_ == nullptr; }
    [[nodiscard]] std::size_t count() const noexcept { return count_; }
    [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }

    void push_back(chunk* c) noexcept {
        c->next = nullptr;
        if (tail_ != nullptr) tail_->next = c; else head_ = c;
        tail_ = c;
        ++count_;
        bytes_ += c->size;
    }

    chunk* pop_front() noexcept {
        chunk* c = head_;
        if (c == nullptr) return nullptr;
        head_ = c->next;
        if (head_ == nullptr) tail_ = nullptr;
        c->next = nullptr;
        --count_;
        bytes_ -= c->size;
        return c;
    }

    // Moves every chunk of `other` to the back of this list; `other` is left empty.
    void splice_back(chunk_list& other) noexcept {
        if (other.head_ == nullptr) return;
        if (tail_ != nullptr) tail_->next = other.head_; else head_ = other.head_;
        tail_ = other.tail_;
        count_ += other.count_;
        bytes_ += other.bytes_;
        other.head_ = other.tail_ = nullptr;
        other.count_ = other.bytes_ = 0;
    }

private:
    chunk* head_ = nullptr;
    chunk* tail_ = nullptr;
    std::size_t count_ = 0;
    std::size_t bytes_ = 0;
};

}  // namespace framealloc::detail
