#define BOOST_TEST_MODULE framealloc
#include <boost/test/unit_test.hpp>
