// Raw ids and dense indices are different types: each CASE below mixes them
// and must not compile; CASE 0 uses them rightly and must.
#include <mf/mf.hpp>

int main() {
    mf::IdMap users;
    mf::IdMap items;
    const mf::MatrixFactorization<float> model;
#if CASE == 0
    const mf::index_type user = users.insert("196");
    const mf::index_type item = items.insert("242");
    return static_cast<int>(model.predict(user, item) * 0)
           + static_cast<int>(users.raw(user).size()) - 3;
#elif CASE == 1
    return static_cast<int>(users.insert(196));  // a number where a raw id belongs
#elif CASE == 2
    return static_cast<int>(users.index(0));  // 0 would pass as a null string_view
#elif CASE == 3
    return static_cast<int>(model.predict(users.index("196"), "242"));  // a raw id as an index
#elif CASE == 4
    return static_cast<int>(users.raw("196").size());  // a raw id where an index belongs
#elif CASE == 5
    return users.contains(7u) ? 1 : 0;
#endif
}
