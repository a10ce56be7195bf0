# git_commit.cmake - the commit vhptsim is built from, recorded at configure time (run.yaml and
# config.yaml cite it): `git rev-parse HEAD` of SOURCE_DIR, with "-dirty" when tracked files
# differ from it; "unknown" when SOURCE_DIR is not the top of a git work tree (a tarball, or a
# copy inside some other repository) or git is missing.
#
#   include(): sets VHPTSIM_GIT_COMMIT from SOURCE_DIR (default CMAKE_SOURCE_DIR)
#   cmake -DSOURCE_DIR=DIR -P cmake/git_commit.cmake   prints it (tests/cli/test_provenance.sh)
if(NOT DEFINED SOURCE_DIR)
  set(SOURCE_DIR "${CMAKE_SOURCE_DIR}")
endif()
set(VHPTSIM_GIT_COMMIT "unknown")
find_program(VHPTSIM_GIT git)
if(VHPTSIM_GIT)
  execute_process(COMMAND "${VHPTSIM_GIT}" -C "${SOURCE_DIR}" rev-parse --show-toplevel
                  OUTPUT_VARIABLE top RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0)
    get_filename_component(top "${top}" REALPATH)
    get_filename_component(src "${SOURCE_DIR}" REALPATH)
  endif()
  if(rc EQUAL 0 AND top STREQUAL src)
    execute_process(COMMAND "${VHPTSIM_GIT}" -C "${SOURCE_DIR}" rev-parse --verify HEAD
                    OUTPUT_VARIABLE head RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(rc EQUAL 0 AND head MATCHES "^[0-9a-f]+$")
      set(VHPTSIM_GIT_COMMIT "${head}")
      # configure again when the commit or the index changes, so that the record stays true
      if(NOT CMAKE_SCRIPT_MODE_FILE)
        execute_process(COMMAND "${VHPTSIM_GIT}" -C "${SOURCE_DIR}" rev-parse --absolute-git-dir --git-common-dir
                                --symbolic-full-name HEAD
                        OUTPUT_VARIABLE dirs OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
        string(REPLACE "\n" ";" dirs "${dirs}")
        list(LENGTH dirs ndirs)
        if(ndirs EQUAL 3)
          list(GET dirs 0 gitdir)
          list(GET dirs 1 common)
          list(GET dirs 2 ref)
          get_filename_component(common "${common}" ABSOLUTE BASE_DIR "${SOURCE_DIR}")
          foreach(f "${gitdir}/HEAD" "${gitdir}/index" "${common}/${ref}" "${common}/packed-refs")
            if(EXISTS "${f}" AND NOT IS_DIRECTORY "${f}")
              set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${f}")
            endif()
          endforeach()
        endif()
      endif()
      execute_process(COMMAND "${VHPTSIM_GIT}" --no-optional-locks -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                      OUTPUT_VARIABLE changes RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      if(rc EQUAL 0 AND NOT changes STREQUAL "")
        set(VHPTSIM_GIT_COMMIT "${head}-dirty")
      endif()
    endif()
  endif()
endif()
if(CMAKE_SCRIPT_MODE_FILE)
  message("${VHPTSIM_GIT_COMMIT}")
endif()
