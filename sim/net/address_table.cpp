#include "sim/net/address_table.hpp"

namespace sessionsim::net {

bool AddressTable::insert(std::uint32_t address, HostId host) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    for (std::size_t i = index(address);; i = (i + 1) & (slots_.size() - 1)) {
        Slot& slot = slots_[i];
        if (slot.host_plus_one == 0) {
            slot = Slot{address, host.value + 1};
            ++size_;
            return true;
        }
        if (slot.address == address) return false;
    }
}

std::optional<HostId> AddressTable::find(std::uint32_t address) const noexcept {
    if (slots_.empty()) return std::nullopt;
    for (std::size_t i = index(address);; i = (i + 1) & (slots_.size() - 1)) {
        const Slot& slot = slots_[i];
        if (slot.host_plus_one == 0) return std::nullopt;
        if (slot.address == address) return HostId{slot.host_plus_one - 1};
    }
}

void AddressTable::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : 2 * old.size(), Slot{});
    size_ = 0;
    for (const Slot& slot : old) {
        if (slot.host_plus_one != 0) insert(slot.address, HostId{slot.host_plus_one - 1});
    }
}

}  // namespace sessionsim::net
