-- wrk script: prints p50 and p99 of whatever is requested (no body).
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
