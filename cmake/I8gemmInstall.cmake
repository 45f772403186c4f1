# `cmake --install`: headers, the library (static, or shared with a versioned SONAME), the CMake
# package (find_package(i8gemm CONFIG) -> i8gemm::i8gemm) and i8gemm.pc for pkg-config.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The public headers are C++17 (the C API header i8gemm.h is C99): consumers inherit it.
target_compile_features(i8gemm PUBLIC cxx_std_17)

set(I8GEMM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/i8gemm)

install(TARGETS i8gemm EXPORT i8gemmTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT i8gemmTargets NAMESPACE i8gemm:: DESTINATION ${I8GEMM_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/i8gemmConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/i8gemmConfig.cmake
                              INSTALL_DESTINATION ${I8GEMM_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/i8gemmConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/i8gemmConfig.cmake
              ${PROJECT_BINARY_DIR}/i8gemmConfigVersion.cmake
        DESTINATION ${I8GEMM_INSTALL_CMAKEDIR})

# pkg-config: a static libi8gemm.a needs the C++ runtime and threads at link time, so those go
# in Libs (Threads) and Libs.private (for C programs linking with `pkg-config --static`).
if(BUILD_SHARED_LIBS)
  set(I8GEMM_PC_LIBS "")
  set(I8GEMM_PC_LIBS_PRIVATE "-pthread")
else()
  set(I8GEMM_PC_LIBS " -pthread")
  set(I8GEMM_PC_LIBS_PRIVATE "-lstdc++ -lm")
endif()
# The prefix is found from the .pc file's own place, so that `cmake --install --prefix`,
# DESTDIR and moving the tree all work.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(I8GEMM_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH I8GEMM_PC_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" I8GEMM_PC_PREFIX "${I8GEMM_PC_PREFIX}")
  set(I8GEMM_PC_PREFIX "\${pcfiledir}/${I8GEMM_PC_PREFIX}")
endif()
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(I8GEMM_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(I8GEMM_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/i8gemm.pc.in ${PROJECT_BINARY_DIR}/i8gemm.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/i8gemm.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
