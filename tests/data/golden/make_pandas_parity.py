#!/usr/bin/python3
"""Generates the pandas parity golden files for tests/data/tst_pandasparity.cpp.

Run with the Debian interpreter that sees pandas:

    /usr/bin/python3 tests/data/golden/make_pandas_parity.py

Writes, next to this script:
  pandas_parity.csv           the input: 8 numeric columns x 2500 rows (20,000 values), no quoting
  pandas_parity_roundtrip.txt pandas.read_csv(..., dtype=float, float_precision='round_trip') of that
                              file, the same shape, every value as Python's float.hex()
  pandas_parity_summary.txt   the pandas/numpy versions used, and where pandas' default float parser
                              (float_precision=None) disagrees with the round-trip parser

dtype=float is passed so that every column goes through pandas' float parser: without it pandas reads
a column of plain integers as int64 and, when the first value overflows int64, the whole column as
text. The round-trip parser is Python's own correctly rounded conversion (PyOS_string_to_double).

The output is deterministic: the values come from a seeded random.Random and are formatted by
Python, so rerunning the script gives byte-identical files.
"""

import decimal
import io
import math
import os
import random
import struct
import sys

import numpy
import pandas

ROWS = 2500
SEED = 20240611
HERE = os.path.dirname(os.path.abspath(__file__))


def bits_to_double(bits):
    return struct.unpack('<d', struct.pack('<Q', bits))[0]


def random_finite(rng):
    """A double with a uniformly random bit pattern: every binary exponent equally likely."""
    while True:
        x = bits_to_double(rng.getrandbits(64))
        if math.isfinite(x):
            return x


def random_magnitude(rng, low_exp=-300, high_exp=300):
    """A double whose decimal exponent is uniform in [low_exp, high_exp]."""
    mantissa = rng.uniform(1.0, 10.0)
    sign = -1.0 if rng.random() < 0.5 else 1.0
    return sign * mantissa * 10.0 ** rng.randint(low_exp, high_exp)


def column_repr(rng):
    # Shortest round-trip form, as Python's repr() prints it.
    return [repr(random_finite(rng)) for _ in range(ROWS)]


def column_fixed17(rng):
    # 17 significant digits: always enough to pin down a double.
    out = []
    for i in range(ROWS):
        x = random_finite(rng) if i % 2 else random_magnitude(rng)
        out.append('%.17g' % x)
    return out


def column_g6(rng):
    # 6 significant digits, as C's %g: most of these are not exactly representable.
    out = []
    for i in range(ROWS):
        if i % 3 == 0:
            x = rng.gauss(0.0, 1000.0)
        elif i % 3 == 1:
            x = random_magnitude(rng, -30, 30)
        else:
            x = random_magnitude(rng)
        out.append('%.6g' % x)
    return out


def column_exponents(rng):
    # Hand-built mantissa/exponent strings over 1e-300..1e300, in several spellings.
    out = []
    for i in range(ROWS):
        digits = ''.join(rng.choice('0123456789') for _ in range(rng.randint(1, 20)))
        digits = digits.lstrip('0') or '1'
        exponent = rng.randint(-300, 300)
        sign = rng.choice(['', '-'])
        style = i % 5
        if style == 0:
            text = '%s%s.%se%d' % (sign, digits[0], digits[1:] or '0', exponent)
        elif style == 1:
            text = '%s%se%+d' % (sign, digits, exponent - len(digits))
        elif style == 2:
            text = '%s%s.%sE%d' % (sign, digits[0], digits[1:] or '0', exponent)
        elif style == 3:
            text = '%s1e%d' % (sign, exponent)
        else:
            text = '%s%s.%se%03d' % (sign, digits[0], digits[1:] or '0', exponent)
        out.append(text)
    return out


def column_subnormal(rng):
    # Subnormals, the normal/subnormal boundary, signed zeros and strings known to hang or
    # misround naive parsers (2.2250738585072012e-308: PHP and Java bugs of 2011).
    fixed = ['0', '-0', '0.0', '-0.0', '0e0', '-0e-5', '+0.0', '-0.000000000000000000000000',
             '4.9406564584124654e-324', '5e-324', '-5e-324', '2.4703282292062328e-324',
             '2.4703282292062327e-324', '2.4703282292062329e-324', '7.4109846876186982e-324',
             '2.2250738585072009e-308', '2.2250738585072011e-308', '2.2250738585072012e-308',
             '2.2250738585072014e-308', '2.225073858507201e-308', '1.7976931348623157e308',
             '-1.7976931348623157e308', '1.7976931348623158e308', '4.4501477170144023e-308',
             '1e-310', '1e-320', '1e-323', '3e-324']
    out = list(fixed)
    i = 0
    while len(out) < ROWS:
        # Random subnormal bit patterns, signed, printed three ways.
        bits = rng.getrandbits(52) or 1
        x = bits_to_double(bits)
        if rng.random() < 0.5:
            x = -x
        style = i % 3
        out.append(repr(x) if style == 0 else '%.17g' % x if style == 1 else '%.25e' % x)
        i += 1
    return out


def column_integers(rng):
    # Plain integers of every size up to int64; above 2^53 they round to a double.
    out = []
    for i in range(ROWS):
        bits = rng.randint(1, 63)
        value = rng.getrandbits(bits)
        if i % 2:
            value = -value
        out.append('%d' % value)
    return out


def column_longdigits(rng):
    # 25 to 60 digit strings: integers, with a decimal point, and small fractions.
    out = []
    for i in range(ROWS):
        n = rng.randint(25, 60)
        digits = ''.join(rng.choice('0123456789') for _ in range(n))
        digits = rng.choice('123456789') + digits[1:]
        sign = '-' if rng.random() < 0.3 else ''
        style = i % 4
        if style == 0:
            text = sign + digits
        elif style == 1:
            point = rng.randint(1, n - 1)
            text = sign + digits[:point] + '.' + digits[point:]
        elif style == 2:
            text = sign + '0.' + '0' * rng.randint(0, 10) + digits
        else:
            text = sign + digits[0] + '.' + digits[1:] + 'e' + str(rng.randint(-250, 250))
        out.append(text)
    return out


def exact_decimal(x):
    return decimal.Decimal(x)


def column_halfway(rng):
    # The exact decimal value halfway between two neighbouring doubles (ties go to even), and the
    # same string nudged just above and just below, where only all the digits decide the result.
    out = []
    ctx = decimal.Context(prec=2000)
    i = 0
    while len(out) < ROWS:
        if i % 10 == 9:
            x = bits_to_double(rng.getrandbits(52) | 1)           # subnormal neighbours
        else:
            x = random_magnitude(rng, -25, 25)
        x = abs(x)
        upper = math.nextafter(x, math.inf)
        low = exact_decimal(x)
        high = exact_decimal(upper)
        half = ctx.divide(ctx.add(low, high), 2)
        ulp = ctx.subtract(high, low)
        nudge = ctx.scaleb(ulp, -40)                              # far below any double's resolution
        variant = i % 3
        if variant == 0:
            value = half
        elif variant == 1:
            value = ctx.add(half, nudge)
        else:
            value = ctx.subtract(half, nudge)
        text = format(value, 'E')
        if rng.random() < 0.5:
            text = '-' + text
        out.append(text)
        i += 1
    return out


def column_forms(rng):
    # Spellings pandas and Python accept: signs, a bare point at either end, leading zeros,
    # upper-case exponents, explicit positive exponents.
    out = []
    for i in range(ROWS):
        whole = str(rng.randint(0, 99999))
        frac = str(rng.randint(0, 99999)).rjust(rng.randint(1, 5), '0')
        exponent = rng.randint(-40, 40)
        style = i % 10
        forms = [
            '+%s.%s' % (whole, frac),
            '.%s' % frac,
            '-.%s' % frac,
            '%s.' % whole,
            '000%s.%s' % (whole, frac),
            '%s.%sE%d' % (whole, frac, exponent),
            '%s.%se+%02d' % (whole, frac, abs(exponent)),
            '%se%d' % (whole, exponent),
            '-%s.%s' % (whole, frac),
            '%s.%s00000' % (whole, frac),
        ]
        out.append(forms[style])
    return out


COLUMNS = [
    ('repr_shortest', column_repr),
    ('fixed17', column_fixed17),
    ('g6', column_g6),
    ('exponents', column_exponents),
    ('subnormal_zero', column_subnormal),
    ('integers', column_integers),
    ('long_digits', column_longdigits),
    ('halfway', column_halfway),
    ('spellings', column_forms),
]


def parse_each_column(names, columns, precision):
    """Reads every column with one of pandas' other float parsers. A parser that rejects a value
    fails the whole column, so such a column is read again value by value; rejected values are None."""
    parsed = {}
    for name, values in zip(names, columns):
        text = name + '\n' + '\n'.join(values) + '\n'
        try:
            frame = pandas.read_csv(io.StringIO(text), dtype=float, float_precision=precision)
            parsed[name] = [float(v) for v in frame[name]]
        except ValueError:
            parsed[name] = [read_one(name, v, precision) for v in values]
    return parsed


def read_one(name, value, precision):
    try:
        frame = pandas.read_csv(io.StringIO(name + '\n' + value + '\n'), dtype=float,
                                float_precision=precision)
        return float(frame[name].iloc[0])
    except ValueError:
        return None


def main():
    rng = random.Random(SEED)
    names = [name for name, _ in COLUMNS]
    columns = [make(rng) for _, make in COLUMNS]
    for name, values in zip(names, columns):
        assert len(values) == ROWS, name
        assert all(',' not in v and '"' not in v for v in values), name

    lines = [','.join(names)]
    for row in range(ROWS):
        lines.append(','.join(values[row] for values in columns))
    csv_text = '\n'.join(lines) + '\n'
    csv_path = os.path.join(HERE, 'pandas_parity.csv')
    with open(csv_path, 'w', encoding='ascii', newline='\n') as f:
        f.write(csv_text)

    dtypes = {name: float for name in names}
    exact = pandas.read_csv(io.StringIO(csv_text), dtype=dtypes, float_precision='round_trip')

    # Python's float() is correctly rounded; the round-trip parser must agree with it everywhere,
    # or the golden file would not be the reference it claims to be.
    for name, values in zip(names, columns):
        for row, text in enumerate(values):
            got = float(exact[name].iloc[row])
            want = float(text)
            if got.hex() != want.hex():
                sys.exit('round_trip disagrees with float() at %s row %d: %s' % (name, row, text))

    hex_path = os.path.join(HERE, 'pandas_parity_roundtrip.txt')
    with open(hex_path, 'w', encoding='ascii', newline='\n') as f:
        f.write(','.join(names) + '\n')
        for row in range(ROWS):
            f.write(','.join(float(exact[name].iloc[row]).hex() for name in names) + '\n')

    summary = ['pandas parity golden, made by make_pandas_parity.py',
               'python %s, pandas %s, numpy %s' % (sys.version.split()[0], pandas.__version__,
                                                   numpy.__version__),
               'values: %d rows x %d columns = %d' % (ROWS, len(names), ROWS * len(names)),
               '',
               'Disagreements with float_precision=\'round_trip\' (which equals Python float()):',
               '']
    for label, precision in (('float_precision=None (the default)', None),
                             ("float_precision='high'", 'high')):
        parsed = parse_each_column(names, columns, precision)
        total = 0
        summary.append(label + ':')
        for name, values in zip(names, columns):
            wanted = [float(exact[name].iloc[row]).hex() for row in range(ROWS)]
            got = [None if v is None else v.hex() for v in parsed[name]]
            bad = [row for row in range(ROWS) if got[row] != wanted[row]]
            total += len(bad)
            line = '  %-15s %5d of %d differ' % (name, len(bad), ROWS)
            rejected = sum(1 for v in got if v is None)
            if rejected:
                line += ' (%d not read as numbers)' % rejected
            if bad:
                row = bad[0]
                line += '; e.g. line %d %s -> %s, round-trip %s' % (
                    row + 2, values[row], got[row] or 'not a number', wanted[row])
            summary.append(line)
        summary.append('  total %d of %d' % (total, ROWS * len(names)))
        summary.append('')
    summary_path = os.path.join(HERE, 'pandas_parity_summary.txt')
    with open(summary_path, 'w', encoding='ascii', newline='\n') as f:
        f.write('\n'.join(summary))
    print('\n'.join(summary))
    for path in (csv_path, hex_path, summary_path):
        print('%s: %d bytes' % (os.path.relpath(path), os.path.getsize(path)))


if __name__ == '__main__':
    main()
