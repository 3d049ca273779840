"""Staff surveys: read a survey tool's export, map its columns, compute every figure by group,
and protect it for publication. Pure library (polars, no Django).

* `model`: the shared types (a read export, a mapping, validated responses);
* `exports`: read CSV/XLSX exports of Microsoft Forms, SmartSurvey, SurveyMonkey, Qualtrics,
  Snap or a plain table, dropping personal metadata on read;
* `mapping`: suggest, remember and apply a column mapping (all-or-nothing, every problem);
* `figures`: results by group, comparisons, change since the previous wave, indices, WRES;
* `publishing`: the one protect step for survey figures (nobody sees exact survey counts);
* `synthetic`: realistic synthetic surveys for the demo, tests and benchmarks;
* `cli`: `equitable survey FILE ...`.
"""
