/* Trend and comparison charts (ECharts, vendored). Data comes from a JSON endpoint
   (data-src) or an embedded json_script (data-json). */
(function () {
  const COLOURS = { met: "#2e9e5b", on_track: "#3d7edb", behind: "#f08c2e", missed: "#d9443a" };

  function trend(el, data) {
    const chart = echarts.init(el);
    if (!data.weeks.length) { el.textContent = el.dataset.empty || ""; return; }
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v + "%") },
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: 24, top: 48, bottom: 32 },
      xAxis: { type: "category", data: data.weeks },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: data.series.map((s) => ({ name: s.name, type: "line", data: s.data, connectNulls: false, symbolSize: 5 })),
    });
    window.addEventListener("resize", () => chart.resize());
  }

  function schools(el, data) {
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => (v == null ? "—" : v + "%") },
      legend: { top: 0 },
      grid: { left: 120, right: 24, top: 36, bottom: 24 },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.schools, inverse: true },
      series: data.series.map((s) => ({
        name: s.name, type: "bar", stack: "all", data: s.data, itemStyle: { color: COLOURS[s.status] },
      })),
    });
    window.addEventListener("resize", () => chart.resize());
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-chart]").forEach((el) => {
      const draw = el.dataset.chart === "schools" ? schools : trend;
      if (el.dataset.json) {
        draw(el, JSON.parse(document.getElementById(el.dataset.json).textContent));
      } else {
        fetch(el.dataset.src, { headers: { Accept: "application/json" } })
          .then((r) => r.json())
          .then((data) => draw(el, data))
          .catch(() => { el.textContent = el.dataset.error || ""; });
      }
    });
  });
})();
