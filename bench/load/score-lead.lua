-- wrk script: POST a simulated lead to /score-lead, each with a new lead id (leads arriving from a CRM), so the
-- prediction log's lead index grows at its right edge as it does in production. One counter per wrk thread.
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

thread_id = 0
local counter = 0
local features = [[", "features": {"lead_source": "referral", "lead_origin": "form", "total_visits": 4, "time_on_site_sec": 620, "pages_per_visit": 2.5, "last_activity": "chat_conversation", "occupation": "professional", "country": "india", "company_size": null, "do_not_email": false, "requested_demo": true}}]]

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, string.format('{"lead_id": "bench-%d-%010d', thread_id, counter) .. features)
end
