// The PTY's output pump (pty-pump.c): its functions, added to the addon's exports.
#pragma once
#include <node_api.h>

void define_pty_pump(napi_env env, napi_value exports);
