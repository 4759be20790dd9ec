# Compiles a backend's migrations into the binary. Each numbered SQL file
# (migrations/NNNN_name.sql) becomes one entry of a table in a generated
# migrations_data.cpp, made from the backend's migrations_data.cpp.in, where
# @NOABER_MIGRATION_ENTRIES@ stands for the entries. The files are configure
# dependencies, so editing or adding one re-runs CMake on the next build;
# configure_file only rewrites the output when its content changed.
function(noaber_embed_migrations output)
  file(GLOB migrations CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/migrations/*.sql)
  list(SORT migrations)
  set(NOABER_MIGRATION_ENTRIES "")
  set(previous_version 0)
  foreach(file IN LISTS migrations)
    get_filename_component(name ${file} NAME_WE)
    if(NOT name MATCHES "^([0-9]+)_[a-z0-9_]+$")
      message(FATAL_ERROR "migration file name must be NNNN_name.sql: ${file}")
    endif()
    math(EXPR version "${CMAKE_MATCH_1}")
    if(version LESS_EQUAL previous_version)
      message(FATAL_ERROR "migration versions must be unique and > 0: ${file}")
    endif()
    set(previous_version ${version})
    # file(READ) alone would not re-run CMake when the file is edited.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    file(READ ${file} sql)
    # The SQL goes into a raw string literal; its closing delimiter must not
    # occur inside.
    string(FIND "${sql}" ")noaber_sql\"" delimiter_at)
    if(NOT delimiter_at EQUAL -1)
      message(FATAL_ERROR "migration contains the raw-string delimiter: ${file}")
    endif()
    string(APPEND NOABER_MIGRATION_ENTRIES
           "    {${version}, \"${name}\", R\"noaber_sql(${sql})noaber_sql\"},\n")
  endforeach()
  if(NOABER_MIGRATION_ENTRIES STREQUAL "")
    message(FATAL_ERROR "no migrations found in ${CMAKE_CURRENT_SOURCE_DIR}/migrations")
  endif()
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/migrations_data.cpp.in ${output} @ONLY)
endfunction()
