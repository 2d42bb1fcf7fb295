// FA602: frame memory pushed into a member container, through a lambda and this->.
#include <string>
#include <string_view>
#include <vector>

import framealloc;

class log_window {
public:
    void add(framealloc::smart_alloc& alloc) {
        const auto line = alloc.frame_string("frame stats");
        auto keep = [&] {
            this->lines_.push_back(std::string_view(line));  // expect: FA602
        };
        keep();
    }

private:
    std::vector<std::string_view> lines_;
};
