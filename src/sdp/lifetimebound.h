#pragma once
// STYLE.md 3.7: accessors that hand out views into an owning object carry GH_LIFETIMEBOUND so that
// clang's -Wdangling catches `auto v = parse(x)->origin();`. GCC warns on the unknown attribute,
// so it expands to nothing there. The guard lets common/ adopt the same definition later.

#ifndef GH_LIFETIMEBOUND
#if defined(__clang__)
#define GH_LIFETIMEBOUND [[clang::lifetimebound]]
#else
#define GH_LIFETIMEBOUND
#endif
#endif
