#pragma once

class QThreadPool;

namespace plumb::ui {

// The thread pool the workbench runs its long jobs on (loading, profiling, training, scoring,
// monitoring, signing), kept apart from QThreadPool::globalInstance(). Qt's raster paint engine
// splits large fills over the global pool and waits for them on the GUI thread, so a global pool
// busy with a long job freezes painting until a thread frees up: a million-row batch scoring run
// stalled the window for 160-220 ms that way. Use it as QtConcurrent::run(backgroundPool(), ...).
QThreadPool *backgroundPool();

} // namespace plumb::ui
