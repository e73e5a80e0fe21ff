# mf_strict_warnings(<target>): the warnings mf's own programs build with, as
# errors. They are set on our targets only, never on the mf library target.
function(mf_strict_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /WX /permissive-)
  else()
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Werror)
  endif()
endfunction()
