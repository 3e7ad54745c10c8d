{
  "targets": [
    {
      "target_name": "fast_cast",
      "sources": ["fast-cast.c", "pty-pump.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"]
    }
  ]
}
