#include "sim/core/log.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "sim/core/engine.hpp"

namespace sessionsim {
namespace {

using namespace std::chrono_literals;

TEST(Logger, LinesCarrySimulatedTimeNodeAndCategory) {
    Engine engine;
    std::ostringstream out;
    engine.log().set_output(&out);
    engine.log().configure("net:debug");
    engine.schedule_at(SIM_EPOCH + 12345678us, [&] {
        SIM_LOG(engine.log(), debug, net, "sn-0042") << "relayed " << 512 << " bytes";
        SIM_LOG(engine.log(), debug, engine, "sn-0042") << "hidden: engine is at warn";
        SIM_LOG(engine.log(), warn, host, "") << "queue full";
    });
    engine.run();
    EXPECT_EQ(out.str(),
              "[   12.345678] sn-0042 net: relayed 512 bytes\n"
              "[   12.345678] - host warn: queue full\n");
}

TEST(Logger, DisabledLinesDoNotEvaluateTheirArguments) {
    Logger log;
    int evaluated = 0;
    auto costly = [&] { return ++evaluated; };
    SIM_LOG(log, debug, net, "n") << costly();
    EXPECT_EQ(evaluated, 0);
    SIM_LOG_TRACE(log, net, "n") << costly();
    EXPECT_EQ(evaluated, 0);
}

TEST(Logger, ConfigureSetsCategoriesAndAll) {
    Logger log;
    log.configure("debug");
    EXPECT_TRUE(log.enabled(LogCategory::adversary, LogLevel::debug));
    log.configure("all:error,net:info");
    EXPECT_FALSE(log.enabled(LogCategory::adversary, LogLevel::warn));
    EXPECT_TRUE(log.enabled(LogCategory::net, LogLevel::info));
    EXPECT_FALSE(log.enabled(LogCategory::net, LogLevel::debug));
    log.configure("net:off");
    EXPECT_FALSE(log.enabled(LogCategory::net, LogLevel::error));
}

TEST(Logger, BadSpecsNameTheProblemAndLeaveLevelsUnchanged) {
    Logger log;
    try {
        log.configure("net:debug,nett:info");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("unknown category 'nett'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("categories: all, engine, net"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(log.enabled(LogCategory::net, LogLevel::debug));  // nothing applied
    EXPECT_THROW(log.configure("net:loud"), std::invalid_argument);
}

}  // namespace
}  // namespace sessionsim
