# NG control protocol: bencode/JSON decoding and the command handler.
if(NOT "media" IN_LIST GH_SKIP_MODULES)
  gh_add_fuzz_target(bencode DEPS gh_media_ng
    CORPUS ${C}/bencode/valid ${C}/bencode/invalid ${C}/bencode/ambiguous ${C}/bencode/stress
           ${C}/ng/examples ${C}/ng/framing ${CMAKE_CURRENT_SOURCE_DIR}/corpus/bencode)
endif()
