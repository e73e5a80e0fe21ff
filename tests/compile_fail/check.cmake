# Compiles SOURCE with -DCASE=${CASE}: CASE 0 must compile, any other must fail
# with a diagnostic that matches EXPECT.
#   cmake -DCOMPILER=... -DSOURCE=... -DCASE=N -DINCLUDES=a;b -DSTANDARD=17 -DEXPECT=regex -P check.cmake
set(flags -std=c++${STANDARD} -fsyntax-only -DCASE=${CASE})
foreach(dir IN LISTS INCLUDES)
  list(APPEND flags -I${dir})
endforeach()
execute_process(COMMAND ${COMPILER} ${flags} ${SOURCE}
                RESULT_VARIABLE result ERROR_VARIABLE diagnostics OUTPUT_QUIET)
if(CASE EQUAL 0)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "the right use does not compile:\n${diagnostics}")
  endif()
elseif(result EQUAL 0)
  message(FATAL_ERROR "case ${CASE} compiled, but mixing raw ids and indices must not")
elseif(NOT diagnostics MATCHES "${EXPECT}")
  message(FATAL_ERROR "case ${CASE} failed for another reason than expected (${EXPECT}):\n${diagnostics}")
endif()
