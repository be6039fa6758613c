// ONNX Runtime's side of bench_onnx.sh: reads a CSV (plain fields, no quoting) into one [N, 1]
// tensor per model input (float64 when every non-empty field is a number, else string), then runs
// the whole batch REPEATS times and prints one JSON line: the parse time and each run's seconds.
//   node bench_onnx.js ORT_MODULE_DIR MODEL.onnx DATA.csv REPEATS
'use strict';
const fs = require('fs');

async function main() {
    const [moduleDir, modelPath, dataPath, repeatsText] = process.argv.slice(2);
    const ort = require(moduleDir);
    const session = await ort.InferenceSession.create(modelPath);
    const parseStart = process.hrtime.bigint();
    const lines = fs.readFileSync(dataPath, 'utf8').split('\n').filter((line) => line.length > 0);
    const header = lines[0].split(',');
    const rows = lines.length - 1;
    const feeds = {};
    for (const name of session.inputNames) {
        const column = header.indexOf(name);
        if (column < 0)
            throw new Error(`no column '${name}' in ${dataPath}`);
        const fields = new Array(rows);
        for (let r = 0; r < rows; ++r)
            fields[r] = lines[r + 1].split(',')[column];
        const numeric = fields.every((field) => field === '' || !Number.isNaN(Number(field)));
        feeds[name] = numeric ? new ort.Tensor('float64', Float64Array.from(fields, (f) => (f === '' ? NaN : Number(f))), [rows, 1])
                              : new ort.Tensor('string', fields, [rows, 1]);
    }
    const parseSeconds = Number(process.hrtime.bigint() - parseStart) / 1e9;
    const runs = [];
    for (let i = 0; i < Number(repeatsText); ++i) {
        const start = process.hrtime.bigint();
        await session.run(feeds);
        runs.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    console.log(JSON.stringify({rows, parse_seconds: parseSeconds, run_seconds: runs}));
}

main().catch((error) => {
    console.error(String(error && error.message ? error.message : error));
    process.exit(1);
});
