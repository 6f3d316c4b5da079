-- wrk script: POST a simulated lead to /score-lead, each with a new lead id (leads arriving from a CRM), so the
-- prediction log's lead index grows at its right edge as it does in production. One counter per wrk thread, behind
-- the run's start time: a later run (the next round, or the measurement after a warm-up) never repeats an earlier
-- run's ids, which would re-score those leads and insert into the middle of the index instead.
-- The request is formatted once: the id has a fixed width, so Content-Length never changes and each request is two
-- string concatenations (a per-request wrk.format would spend the shared cores on the client, not the service).
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

thread_id = 0
local counter = 0
local placeholder = "##########"
local prefix, suffix

function init(args)
  local body = string.format('{"lead_id": "bench-%d-%d-%s", "features": {"lead_source": "referral", "lead_origin": "form", "total_visits": 4, "time_on_site_sec": 620, "pages_per_visit": 2.5, "last_activity": "chat_conversation", "occupation": "professional", "country": "india", "company_size": null, "do_not_email": false, "requested_demo": true}}', os.time(), thread_id, placeholder)
  local request = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
  local at = string.find(request, placeholder, 1, true)
  prefix = string.sub(request, 1, at - 1)
  suffix = string.sub(request, at + #placeholder)
end

function request()
  counter = counter + 1
  return prefix .. string.format("%010d", counter) .. suffix
end
