// Runs an ONNX model with ONNX Runtime (the onnxruntime-node package) on columns read from JSON,
// and writes every output as JSON. No Python, no network.
//
//   node run_onnx.js ORT_MODULE_DIR MODEL.onnx INPUT.json OUTPUT.json
//
// INPUT.json: {"rows": N, "columns": {"name": [values...]}}: numbers (null for a missing
// value: NaN) for double inputs, strings for string inputs; each input is fed as [N, 1].
// OUTPUT.json: {"name": {"dims": [...], "data": [...]}} for each output; doubles are written with
// JavaScript's shortest round-trip form, so they read back bit for bit.
'use strict';
const fs = require('fs');

async function main() {
    const [moduleDir, modelPath, inputPath, outputPath] = process.argv.slice(2);
    if (!outputPath) {
        console.error('usage: node run_onnx.js ORT_MODULE_DIR MODEL.onnx INPUT.json OUTPUT.json');
        process.exit(2);
    }
    const ort = require(moduleDir);
    const input = JSON.parse(fs.readFileSync(inputPath, 'utf8'));
    const session = await ort.InferenceSession.create(modelPath, {intraOpNumThreads: 1, interOpNumThreads: 1});
    const feeds = {};
    for (const name of session.inputNames) {
        const values = input.columns[name];
        if (!values)
            throw new Error(`the input file has no column '${name}'`);
        if (values.length !== input.rows)
            throw new Error(`column '${name}' has ${values.length} values, expected ${input.rows}`);
        const text = values.some((v) => typeof v === 'string');
        feeds[name] = text ? new ort.Tensor('string', values.map((v) => (v === null ? '' : String(v))), [input.rows, 1])
                           : new ort.Tensor('float64', Float64Array.from(values, (v) => (v === null ? NaN : v)), [input.rows, 1]);
    }
    const results = await session.run(feeds);
    const out = {};
    for (const name of session.outputNames) {
        const tensor = results[name];
        out[name] = {dims: tensor.dims, type: tensor.type, data: Array.from(tensor.data, (v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))};
    }
    fs.writeFileSync(outputPath, JSON.stringify(out));
}

main().catch((error) => {
    console.error(String(error && error.message ? error.message : error));
    process.exit(1);
});
