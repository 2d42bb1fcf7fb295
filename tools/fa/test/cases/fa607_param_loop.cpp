// FA607: scratch frame memory per iteration of a loop bounded by a parameter (also FA301: the bound
// comes from outside the function and no budget is set).
import framealloc;

void use(const int* value);

void sum_rows(framealloc::smart_alloc& alloc, int rows) {
    for (int row = 0; row < rows; ++row) {
        int* scratch = alloc.frame_alloc<int>(row);  // expect: FA607 FA301
        use(scratch);
    }
}
