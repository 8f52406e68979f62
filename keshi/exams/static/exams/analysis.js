/* 质量分析 charts (ECharts, vendored): class means and rates; the grade's 分数段. */
(function () {
  const raw = document.getElementById("exam-chart-raw");
  if (!raw || typeof echarts === "undefined") return;
  const d = JSON.parse(raw.textContent);
  if (!d.classes) return;
  const classes = echarts.init(document.getElementById("chart-classes"));
  classes.setOption({
    color: ["#2f6db5", "#3a9d5d", "#e0a030"],
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 36, bottom: 40 },
    xAxis: { type: "category", data: d.classes, axisLabel: { rotate: d.classes.length > 8 ? 30 : 0 } },
    yAxis: [{ type: "value", name: d.names[0], min: 0 }, { type: "value", name: "%", min: 0, max: 100 }],
    series: [
      { name: d.names[0], type: "bar", data: d.mean, label: { show: true, position: "top" } },
      { name: d.names[1], type: "line", yAxisIndex: 1, data: d.pass },
      { name: d.names[2], type: "line", yAxisIndex: 1, data: d.excellent },
    ],
  });
  const bands = echarts.init(document.getElementById("chart-bands"));
  bands.setOption({
    color: ["#2f6db5"],
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 16, top: 24, bottom: 48 },
    xAxis: { type: "category", data: d.bands, axisLabel: { rotate: 40 } },
    yAxis: { type: "value", name: d.names[3], minInterval: 1 },
    series: [{ type: "bar", data: d.band_counts, label: { show: true, position: "top" } }],
  });
  window.addEventListener("resize", () => { classes.resize(); bands.resize(); });
})();
