#include "ui/common/backgroundpool.h"

#include <QThreadPool>

namespace plumb::ui {

QThreadPool *backgroundPool()
{
    // Jobs mostly wait on core's own worker threads, so several may run side by side (a model
    // list refresh during training); the cores are shared by core's parallel loops, not by this cap.
    static QThreadPool *pool = [] {
        auto *created = new QThreadPool;
        created->setMaxThreadCount(8);
        created->setObjectName(QStringLiteral("plumb-background-jobs"));
        return created;
    }();
    return pool;
}

} // namespace plumb::ui
