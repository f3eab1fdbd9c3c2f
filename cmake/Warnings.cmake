# Warnings apply to project code only (linked through gh_warnings), never to third-party headers.
add_library(gh_warnings INTERFACE)
target_compile_options(gh_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough
  # Designated initializers leave the other members at their defaults on purpose; GCC 12 still
  # warns about each of them.
  -Wno-missing-field-initializers
  $<$<BOOL:${GH_WERROR}>:-Werror>
  "$<$<CXX_COMPILER_ID:Clang>:-Werror=dangling;-Werror=dangling-gsl;-Werror=return-stack-address>")

if(GH_SANITIZE)
  add_compile_options(-fsanitize=${GH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  string(REPLACE "fuzzer-no-link" "" _gh_link_san "${GH_SANITIZE}")
  string(REPLACE ",," "," _gh_link_san "${_gh_link_san}")
  string(REGEX REPLACE ",$" "" _gh_link_san "${_gh_link_san}")
  add_link_options(-fsanitize=${_gh_link_san})
endif()
add_compile_definitions($<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)

if(CMAKE_BUILD_TYPE MATCHES "Rel")
  add_compile_options(-fstack-protector-strong)
  add_compile_definitions(_FORTIFY_SOURCE=2)
endif()
