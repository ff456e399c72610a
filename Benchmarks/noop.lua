-- POSTs the same small JSON body as the chat benchmark to an endpoint that does no work.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id":"noop","text":"benchmark message 你好"}'
