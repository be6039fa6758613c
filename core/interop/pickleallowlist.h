#pragma once

#include <QString>

namespace plumb {

// How an allowed global may be used by a stream. Each role is a fixed schema: which opcode may
// create an object from it, the exact shape of the arguments, and what BUILD state it accepts.
// Anything outside its schema is refused by the pickle machine.
enum class GlobalRole {
    // A scikit-learn (or helper) class: NEWOBJ (cls, ()) and then exactly one BUILD with a Dict
    // whose keys are all str.
    PlainClass,
    // A value only, never called: numpy.float64 as a parameter, numpy.ndarray as the argument of
    // _reconstruct, a Cython or KDTree class as the argument of its `factory` function.
    TypeReference,
    NumpyReconstruct, // REDUCE (ndarray, (0,), b'b'), then BUILD (1, shape, dtype, fortran, data)
    NumpyDtype, // REDUCE ('f8', False, True), then at most one BUILD (3, '<', ...)
    NumpyScalar, // REDUCE (dtype, bytes): a 0-d array
    NumpyFromBuffer, // REDUCE (bytes, dtype, shape, order): protocol 5 arrays
    CodecsEncode, // REDUCE (str, 'latin1'): bytes in protocol 2
    BuiltinSet, // REDUCE () or ([items],)
    BuiltinFrozenSet, // REDUCE () or ([items],)
    BuiltinBytes, // REDUCE (): b'' in protocol 2
    BuiltinSlice, // REDUCE (start, stop, step) with int or None operands
    TreeClass, // sklearn.tree._tree.Tree: REDUCE (int, int array, int), then BUILD (dict)
    CythonUnpickle, // __pyx_unpickle_X: REDUCE (X, checksum, tuple or None), at most one BUILD (tuple)
    NewObjFunction, // a module's newObj: REDUCE (cls,), then one BUILD (tuple)
    ArrayWrapper, // joblib NumpyArrayWrapper: NEWOBJ (cls, ()), BUILD (dict), then the array bytes
};

// One exact (module, name) pair the policy allows, with its role. A TypeReference created by a
// factory function (a Cython unpickler, a newObj) names that function as "module.name".
struct AllowedGlobal
{
    const char *module;
    const char *name;
    GlobalRole role;
    const char *factory = nullptr;
};

// The allow-list entry for exactly (module, name) after Python 2 name mapping, or nullptr.
// Dotted names are never on the list.
const AllowedGlobal *findAllowedGlobal(const QString &module, const QString &name);

// CPython's fix_imports for protocols 0-2 (Lib/_compat_pickle.py): the (module, name) pairs and
// module names a Python 2 stream uses, mapped to their Python 3 equivalents in place. Only the
// entries that can lead to an allowed global are kept; any other Python 2 name stays unmapped and
// so is refused, which fails closed.
void mapPython2Name(QString &module, QString &name);

} // namespace plumb
