-- wrk script: POST the JSON body in env FAKELAB_BODY with a test API key.
wrk.method = "POST"
wrk.body = os.getenv("FAKELAB_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-benchmark-000000001"
