# Runs an example program (movielens_100k, the mf tool) and checks its exit
# status and output.
#
#   cmake -DPROGRAM=<exe> -DARGS=<;-list> -DEXIT=<status>
#         [-DERROR=<regex on stderr>] [-DOUTPUT=<regex on stdout>]
#         [-DJSON=<;-list of keys>] [-DNEEDS_DATA=ON]
#         -P run_example.cmake
#
# With JSON, the last line of standard output must be a JSON object holding
# each key; an entry `key=value` also checks the value, as CMake's string(JSON)
# gives it (a number as written, a string without quotes). With NEEDS_DATA, the run is skipped (the test prints SKIPPED)
# unless MF_DATA_DIR is set.
if(NEEDS_DATA AND "$ENV{MF_DATA_DIR}" STREQUAL "")
  message("SKIPPED: MF_DATA_DIR is not set; point it at the ml-100k folder to run this test")
  return()
endif()

execute_process(COMMAND "${PROGRAM}" ${ARGS}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status EQUAL EXIT)
  message(FATAL_ERROR "exit status ${status}, expected ${EXIT}")
endif()
if(DEFINED ERROR AND NOT err MATCHES "${ERROR}")
  message(FATAL_ERROR "standard error does not match '${ERROR}'")
endif()
if(DEFINED OUTPUT AND NOT out MATCHES "${OUTPUT}")
  message(FATAL_ERROR "standard output does not match '${OUTPUT}'")
endif()
if(DEFINED JSON)
  string(STRIP "${out}" out)
  string(REGEX REPLACE "^.*\n" "" last "${out}")
  foreach(entry IN LISTS JSON)
    string(FIND "${entry}" "=" equals)
    if(equals EQUAL -1)
      set(key "${entry}")
    else()
      string(SUBSTRING "${entry}" 0 ${equals} key)
      math(EXPR equals "${equals} + 1")
      string(SUBSTRING "${entry}" ${equals} -1 expected)
    endif()
    string(JSON value ERROR_VARIABLE json_error GET "${last}" "${key}")
    if(json_error)
      message(FATAL_ERROR "the last line has no '${key}': ${json_error}")
    endif()
    if(NOT equals EQUAL -1 AND NOT value STREQUAL expected)
      message(FATAL_ERROR "'${key}' is '${value}', expected '${expected}'")
    endif()
  endforeach()
endif()
