/* Indicator charts (ECharts, vendored): a trend with the target line, departments compared. */
(function () {
  function trend(el, d) {
    const chart = echarts.init(el);
    const fmt = (v) => (v == null ? "—" : v + d.unit);
    const current = { name: d.names[0], type: "line", data: d.actual, symbolSize: 7, lineStyle: { width: 3 }, connectNulls: false };
    if (d.target != null) {
      current.markLine = {
        symbol: "none",
        label: { formatter: d.names[2] + " " + d.target + d.unit, position: "insideEndTop" },
        lineStyle: { color: "#d9443a", type: "dashed", width: 2 },
        data: [{ yAxis: d.target }],
      };
    }
    const series = [current, { name: d.names[1], type: "line", data: d.last_year, lineStyle: { type: "dotted" }, symbolSize: 4 }];
    if (d.target == null) {
      series.push({ name: d.names[2], type: "line", step: "middle", data: d.targets, lineStyle: { color: "#d9443a", type: "dashed" }, itemStyle: { color: "#d9443a" }, symbol: "none" });
    }
    chart.setOption({
      color: ["#2f6db5", "#9aa5b1", "#d9443a"],
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 0 },
      grid: { left: 56, right: 40, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.months },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: "{value}" + d.unit } },
      series: series,
    });
    window.addEventListener("resize", () => chart.resize());
  }

  function compare(el, d) {
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => (v == null ? "—" : v + d.unit) },
      grid: { left: 120, right: 48, top: 16, bottom: 24 },
      xAxis: { type: "value", scale: true },
      yAxis: { type: "category", data: d.departments, inverse: true },
      series: [
        { name: d.name, type: "bar", data: d.values, itemStyle: { color: "#2f6db5" }, label: { show: true, position: "right" } },
        { name: d.target_name, type: "scatter", data: d.targets, symbol: "rect", symbolSize: [4, 22], itemStyle: { color: "#d9443a" } },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-ind-chart]").forEach((el) => {
      const data = JSON.parse(document.getElementById(el.dataset.json).textContent);
      (el.dataset.indChart === "compare" ? compare : trend)(el, data);
    });
  });
})();
