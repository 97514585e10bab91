// The first quartile, the median and the third quartile of a list of timings (linear
// interpolation between ranks), for the benchmarks' reports.

/** `[q1, median, q3]` of `xs`. */
export const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i), hi = Math.ceil(i);
    return s[lo] + (s[hi] - s[lo]) * (i - lo);
  };
  return [at(0.25), at(0.5), at(0.75)];
};
