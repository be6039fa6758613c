#pragma once

#include "monitor/driftreport.h"

#include <array>
#include <cstdint>

namespace plumb {

// The colour scale of a drift heat map, shared by the Monitor view and the HTML report so that a
// cell reads the same in both.

// How far a cell is from its threshold on a log scale: -1 (a tenth of the way or less) through 0
// (at it) to 1 (ten times past it or more); a drifted cell is at least 0.05. NaN when the cell has
// no score. Uses thresholdRatio (p-values below their threshold, distances above it are past).
double driftCellLevel(const DriftReport &report, std::size_t column, std::size_t window);

struct SeverityStop
{
    double position; // 0 at level -1, 1 at level 1
    std::uint8_t red, green, blue;
};

// White well inside the threshold, pale amber near it, amber at it, red ten times past it.
inline constexpr std::array<SeverityStop, 5> kSeverityStops{{{0.0, 0xf8, 0xfa, 0xfc},
                                                             {0.35, 0xfe, 0xf3, 0xc7},
                                                             {0.5, 0xfb, 0xbf, 0x24},
                                                             {0.75, 0xf9, 0x73, 0x16},
                                                             {1.0, 0xdc, 0x26, 0x26}}};
// A cell without a score.
inline constexpr SeverityStop kUnscoredColour{0.0, 0xe5, 0xe7, 0xeb};

// The colour of `level` (driftCellLevel), interpolated linearly between the stops, as "#rrggbb";
// kUnscoredColour for NaN.
QString severityColour(double level);

} // namespace plumb
