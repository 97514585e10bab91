# kru-config.cmake: lets CMake projects (C or C++) find libkru.
#
# Installed layout (what tests/run.sh stages in target/kru-c-test/prefix):
#   <prefix>/include/kru.h
#   <prefix>/lib/libkru.so, <prefix>/lib/libkru.a
#   <prefix>/lib/cmake/kru/kru-config.cmake   (this file)
#
# Use:
#   find_package(kru CONFIG REQUIRED)            # with -DCMAKE_PREFIX_PATH=<prefix>
#   target_link_libraries(app PRIVATE kru::kru)  # shared library
#   target_link_libraries(app PRIVATE kru::kru_static)  # static library (e.g. Android NDK)
#
# Straight from a cargo build, without installing: set KRU_INCLUDE_DIR (bindings-c/include)
# and KRU_LIBRARY_DIR (e.g. target/release) before find_package, with kru_DIR pointing at
# bindings-c/cmake.

if(NOT DEFINED KRU_INCLUDE_DIR OR NOT DEFINED KRU_LIBRARY_DIR)
  get_filename_component(_kru_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
  if(NOT DEFINED KRU_INCLUDE_DIR)
    set(KRU_INCLUDE_DIR "${_kru_prefix}/include")
  endif()
  if(NOT DEFINED KRU_LIBRARY_DIR)
    set(KRU_LIBRARY_DIR "${_kru_prefix}/lib")
  endif()
endif()

if(NOT EXISTS "${KRU_INCLUDE_DIR}/kru.h")
  set(kru_FOUND FALSE)
  set(kru_NOT_FOUND_MESSAGE "kru.h not found in ${KRU_INCLUDE_DIR}")
  return()
endif()

find_package(Threads REQUIRED)

if(NOT TARGET kru::kru_static AND EXISTS "${KRU_LIBRARY_DIR}/libkru.a")
  add_library(kru::kru_static STATIC IMPORTED)
  set_target_properties(kru::kru_static PROPERTIES
    IMPORTED_LOCATION "${KRU_LIBRARY_DIR}/libkru.a"
    INTERFACE_INCLUDE_DIRECTORIES "${KRU_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "Threads::Threads;${CMAKE_DL_LIBS};m")
endif()

if(NOT TARGET kru::kru AND EXISTS "${KRU_LIBRARY_DIR}/libkru.so")
  add_library(kru::kru SHARED IMPORTED)
  set_target_properties(kru::kru PROPERTIES
    IMPORTED_LOCATION "${KRU_LIBRARY_DIR}/libkru.so"
    IMPORTED_NO_SONAME TRUE
    INTERFACE_INCLUDE_DIRECTORIES "${KRU_INCLUDE_DIR}")
endif()

set(kru_FOUND TRUE)
