-- wrk script: a mix of routes and API keys (FAKELAB_KEYS keys, default 64), for the memory
-- figure after a million requests: sync generations, task creates, task polls (FAKELAB_TASK
-- is a task of key 0), validation errors and the model list. Journals, tasks and caches of
-- every key fill up to their bounds. FAKELAB_TASK belongs to the key sk-mixed-poller-abcdef,
-- which creates nothing else (so the task is never evicted by the creates).
local keys = tonumber(os.getenv("FAKELAB_KEYS") or "64")
local task = os.getenv("FAKELAB_TASK")
local n = 0
local json = { ["Content-Type"] = "application/json" }
local bodies = {
  '{"model":"gpt-image-2","prompt":"mixed","size":"1024x1024"}',
  '{"model":"flux-pro","prompt":"mixed task"}',
  '{"model":"gpt-image-2","prompt":"mixed","size":"1000x1000"}',
}
request = function()
  n = n + 1
  local kind = n % 10
  local key = "Bearer sk-mixed-" .. string.format("%04d", n % keys) .. "-abcdef"
  if kind < 4 then
    return wrk.format("POST", "/v1/images/generations", { ["Content-Type"] = "application/json", Authorization = key }, bodies[1])
  elseif kind < 6 then
    return wrk.format("POST", "/v1/images/generations", { ["Content-Type"] = "application/json", Authorization = key }, bodies[2])
  elseif kind < 8 and task then
    return wrk.format("GET", "/v1/tasks/" .. task, { Authorization = "Bearer sk-mixed-poller-abcdef" })
  elseif kind < 9 then
    return wrk.format("POST", "/v1/images/generations", { ["Content-Type"] = "application/json", Authorization = key }, bodies[3])
  else
    return wrk.format("GET", "/v1/models", { Authorization = key })
  end
end
