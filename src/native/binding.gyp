{
  "targets": [
    {
      "target_name": "fast_cast",
      "sources": ["fast-cast.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"]
    }
  ]
}
