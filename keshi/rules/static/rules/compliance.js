/* Trend and comparison charts (ECharts, vendored). Data comes from a JSON endpoint
   (data-src) or an embedded json_script (data-json). */
(function () {
  const COLOURS = { met: "#2e9e5b", on_track: "#3d7edb", behind: "#f08c2e", missed: "#d9443a" };

  /* One line per requirement, a point at the end of each of its periods that is over
     (a weekly rule weekly, a monthly one monthly): the share of people who met it. */
  function trend(el, data) {
    const picker = document.getElementById(el.dataset.picker || "");
    if (picker) pick(picker, el, data);
    const chart = echarts.getInstanceByDom(el) || echarts.init(el);
    chart.clear();
    const drawn = data.series.filter((s) => s.data.length);
    if (!drawn.length) {
      chart.dispose();
      el.textContent = data.series.length ? el.dataset.none || "" : el.dataset.empty || "";
      return;
    }
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v + "%") },
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: 24, top: 48, bottom: 32 },
      xAxis: { type: "time", axisLabel: { formatter: el.dataset.dayFormat || "{MM}-{dd}", hideOverlap: true } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: drawn.map((s) => ({ name: s.name, type: "line", data: s.data, symbolSize: 6 })),
    });
    window.addEventListener("resize", () => chart.resize());
  }

  /* The requirements to draw, ticked from a list (at most data.limit at once). */
  function pick(box, el, data) {
    box.replaceChildren();
    const selected = new Set(data.selected);
    data.requirements.forEach((r) => {
      const label = document.createElement("label");
      label.className = "form-check form-check-inline small mb-1";
      const input = document.createElement("input");
      input.type = "checkbox";
      input.className = "form-check-input";
      input.value = r.id;
      input.checked = selected.has(r.id);
      input.disabled = !input.checked && selected.size >= data.limit;
      input.addEventListener("change", () => {
        const ticked = [...box.querySelectorAll("input:checked")].map((i) => i.value);
        const url = new URL(el.dataset.src, window.location.href);
        url.searchParams.delete("line");
        ticked.forEach((id) => url.searchParams.append("line", id));
        load(el, url.toString());
      });
      label.append(input, " ", r.name);
      box.append(label);
    });
  }

  function load(el, src) {
    fetch(src, { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((data) => trend(el, data))
      .catch(() => { el.textContent = el.dataset.error || ""; });
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
      } else if (draw === trend) {
        load(el, el.dataset.src);
      } else {
        fetch(el.dataset.src, { headers: { Accept: "application/json" } })
          .then((r) => r.json())
          .then((data) => draw(el, data))
          .catch(() => { el.textContent = el.dataset.error || ""; });
      }
    });
  });
})();
