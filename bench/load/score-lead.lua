-- wrk script: POST one simulated lead to /score-lead.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"lead_id": "bench-1", "features": {"lead_source": "referral", "lead_origin": "form", "total_visits": 4, "time_on_site_sec": 620, "pages_per_visit": 2.5, "last_activity": "chat_conversation", "occupation": "professional", "country": "india", "company_size": null, "do_not_email": false, "requested_demo": true}}]]
