#include "models/session/node/client/send_queue.hpp"

#include <utility>

#include "models/session/common/memory_estimate.hpp"
#include "models/session/storage/namespace.hpp"
#include "models/session/storage/rpc.hpp"

namespace sessionproto {

std::vector<std::uint64_t> SendQueue::ready() const {
    std::vector<std::uint64_t> ids;
    for (const auto& [id, job] : jobs_) {
        if (job.state == SendJob::State::ready) ids.push_back(id);
    }
    return ids;
}

std::optional<SessionId> SendQueue::recipient(std::uint64_t job_id) const {
    const auto it = jobs_.find(job_id);
    if (it == jobs_.end()) return std::nullopt;
    return it->second.recipient.as_session_id();
}

void SendQueue::resume(std::uint64_t job_id) {
    if (auto j = jobs_.find(job_id); j != jobs_.end()) j->second.state = SendJob::State::ready;
}

void SendQueue::try_send(Timestamp now, std::uint64_t job_id, SwarmCache& swarms, const NodePool& pool,
                         const ClientConfig& config, ClientContext& ctx) {
    auto it = jobs_.find(job_id);
    if (it == jobs_.end() || it->second.state != SendJob::State::ready) return;
    SendJob& job = it->second;
    if (job.attempts == 0) job.attempts = 1;  // the swarm lookup is part of the attempt
    const SessionId owner = job.recipient.as_session_id();
    const auto swarm = swarms.usable(owner, pool);
    if (!swarm) {
        swarms.wait_job(owner, job_id, ctx);
        job.state = SendJob::State::waiting_swarm;
        return;
    }
    const auto node = random_member(*swarm, ctx.entropy());
    const std::int64_t now_ms = unix_ms(now);
    const auto request = make_store(owner, Namespace::default_ns, job.data, now_ms, config.message_ttl_ms);
    if (!ctx.send_onion(now, ClientRequest::store, job_id, job.work, *node, rpc_body(request),
                        config.profile.onion_timeout_ms)) {
        return;  // waits for a path
    }
    job.state = SendJob::State::in_flight;
    ctx.count(client_counter::stores, 1);
    if (!job.sync) ctx.event(app::MessageSent{job.hash, job.attempts, owner});
}

std::optional<SendJob> SendQueue::on_store_reply(Timestamp now, std::uint64_t job_id, const OnionOutcome& outcome,
                                                 const PathSet& paths, const ClientConfig& config, ClientContext& ctx) {
    auto it = jobs_.find(job_id);
    if (it == jobs_.end()) return std::nullopt;
    SendJob& job = it->second;
    if (!outcome.ok) {
        attempt_failed(now, job_id, "onion request failed", config, ctx);
        return std::nullopt;
    }
    if (outcome.status == 200) {
        // With the guard of the path the store went through (unset when that path is gone).
        if (!job.sync) {
            ctx.event(app::StoreConfirmed{job.hash, unix_ms(now) - job.created_ms, paths.guard_of(outcome.path_id)});
        }
        SendJob done = std::move(job);
        jobs_.erase(it);
        return done;
    }
    if (outcome.status == 406 || outcome.status == 425) {
        // Clock errors: no penalty, but sending is aborted (desktop onions.ts).
        if (!job.sync) ctx.event(app::StoreFailed{job.hash, job.attempts, "clock error"});
        jobs_.erase(it);
        return std::nullopt;
    }
    attempt_failed(now, job_id, outcome.status == 421 ? "421 wrong swarm" : "status " + std::to_string(outcome.status),
                   config, ctx);
    return std::nullopt;
}

void SendQueue::attempt_failed(Timestamp now, std::uint64_t job_id, std::string_view reason, const ClientConfig& config,
                               ClientContext& ctx) {
    auto it = jobs_.find(job_id);
    if (it == jobs_.end()) return;
    SendJob& job = it->second;
    if (job.attempts >= config.profile.store_attempts) {
        if (!job.sync) ctx.event(app::StoreFailed{job.hash, job.attempts, std::string(reason)});
        jobs_.erase(it);
        return;
    }
    // Desktop MessageSender.send: p-retry, store_attempts attempts, factor 1, store_retry_ms
    // apart; Android AutoRetryApiExecutor: the n-th retry after n × store_retry_ms.
    const auto retry = static_cast<std::int64_t>(job.attempts);
    const std::int64_t delay = config.profile.store_retry_linear ? retry * config.profile.store_retry_ms
                                                                 : config.profile.store_retry_ms;
    ++job.attempts;
    job.state = SendJob::State::waiting_retry;
    ctx.set_timer(ClientTimer::store_retry, job_id, after(now, delay));
}

std::size_t SendQueue::heap_bytes() const {
    std::size_t bytes = memory::heap_bytes(jobs_);
    for (const auto& [id, job] : jobs_) {
        bytes += memory::heap_bytes(job.hash) + memory::heap_bytes(job.data) + memory::heap_bytes(job.body);
    }
    return bytes;
}

}  // namespace sessionproto
