/*
 * 看板: draws the dashboard's charts from the figures the page embeds with
 * {{ data|json_script:"dashboard-data" }} (reports/selectors.py builds them).
 *
 * The same figures are in the page's cards and tables, which stay the readable version without
 * JavaScript and for screen readers; the chart boxes are aria-hidden and hidden (d-none) until
 * a chart is drawn in them. ECharts is vendored (static/vendor/echarts): nothing is fetched.
 */
(function () {
  "use strict";

  // A level looks the same in a chart as on its marking badge: app.css's colours when set.
  var LEVEL_COLOURS = {
    top_secret: cssColour("--baomi-mark-top-secret", "#6f0000"),
    secret: cssColour("--baomi-mark-secret", "#c1121f"),
    confidential: cssColour("--baomi-mark-confidential", "#e8590c"),
    internal: "#6c757d",
    public: "#adb5bd",
  };
  var SERIES_COLOURS = ["#0d6efd", "#c1121f", "#6f42c1"];

  function cssColour(property, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(property).trim();
    return value || fallback;
  }

  function figures(id) {
    var element = document.getElementById(id || "dashboard-data");
    return element ? JSON.parse(element.textContent) : null;
  }

  // The drawing surface of one chart box, shown, with any earlier chart in it disposed of.
  function surface(name) {
    var box = document.querySelector('[data-chart="' + name + '"]');
    if (!box) {
      return null;
    }
    box.classList.remove("d-none");
    var element = box.firstElementChild;
    var earlier = echarts.getInstanceByDom(element);
    if (earlier) {
      earlier.dispose();
    }
    return echarts.init(element, null, { renderer: "canvas" });
  }

  function still() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function base() {
    return {
      animation: !still(),
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 40, right: 16, top: 36, bottom: 28, containLabel: true },
    };
  }

  function integerAxis() {
    return { type: "value", minInterval: 1 };
  }

  function byLevel(data) {
    var chart = surface("by-level");
    if (!chart) return null;
    var option = base();
    option.legend = { top: 0, data: ["在管", "合计"] };
    option.xAxis = { type: "category", data: data.by_level.map(function (r) { return r.level_display; }) };
    option.yAxis = integerAxis();
    option.series = [
      {
        name: "在管",
        type: "bar",
        itemStyle: { color: "#495057" }, // the legend's swatch; each bar takes its level's colour
        data: data.by_level.map(function (r) {
          return { value: r.live, itemStyle: { color: LEVEL_COLOURS[r.level] } };
        }),
      },
      {
        name: "合计",
        type: "bar",
        itemStyle: { color: "#dee2e6" },
        data: data.by_level.map(function (r) { return r.total; }),
      },
    ];
    chart.setOption(option);
    return chart;
  }

  function byStatus(data) {
    var chart = surface("by-status");
    if (!chart) return null;
    var rows = data.by_status.filter(function (r) { return r.count > 0; });
    chart.setOption({
      animation: !still(),
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}：{c} 件（{d}%）" },
      legend: { type: "scroll", bottom: 0 },
      series: [
        {
          name: "状态",
          type: "pie",
          radius: ["35%", "65%"],
          center: ["50%", "45%"],
          label: { formatter: "{b} {c}" },
          data: rows.map(function (r) { return { name: r.status_display, value: r.count }; }),
        },
      ],
    });
    return chart;
  }

  function overdue(data) {
    var chart = surface("overdue");
    if (!chart) return null;
    var option = base();
    option.xAxis = { type: "category", data: data.by_level.map(function (r) { return r.level_display; }) };
    option.yAxis = integerAxis();
    option.series = [
      {
        name: "逾期未还",
        type: "bar",
        itemStyle: { color: "#c1121f" },
        label: { show: true, position: "top" },
        data: data.by_level.map(function (r) { return r.overdue; }),
      },
    ];
    chart.setOption(option);
    return chart;
  }

  function trend(data) {
    var chart = surface("trend");
    if (!chart) return null;
    var option = base();
    option.color = SERIES_COLOURS;
    option.legend = { top: 0, data: ["登记", "销毁", "清退"] };
    option.xAxis = { type: "category", data: data.trend.map(function (r) { return r.month; }) };
    option.yAxis = integerAxis();
    option.series = [
      { name: "登记", type: "line", data: data.trend.map(function (r) { return r.registered; }) },
      { name: "销毁", type: "line", data: data.trend.map(function (r) { return r.destroyed; }) },
      { name: "清退", type: "line", data: data.trend.map(function (r) { return r.recalled; }) },
    ];
    chart.setOption(option);
    return chart;
  }

  // Issue 12: the oversight figures (reports/oversight.py), drawn only for a whole unit.
  var SEVERITY_COLOURS = { minor: "#ffc107", serious: "#e8590c", critical: "#c1121f" };

  function findings(o) {
    var chart = surface("findings");
    if (!chart) return null;
    var option = base();
    option.xAxis = { type: "category", data: o.findings_by_severity.map(function (r) { return r.severity_display; }) };
    option.yAxis = integerAxis();
    option.series = [
      {
        name: "未整改完成",
        type: "bar",
        label: { show: true, position: "top" },
        data: o.findings_by_severity.map(function (r) {
          return { value: r.count, itemStyle: { color: SEVERITY_COLOURS[r.severity] } };
        }),
      },
    ];
    chart.setOption(option);
    return chart;
  }

  function coverage(o) {
    var chart = surface("coverage");
    if (!chart) return null;
    var option = base();
    option.xAxis = { type: "category", data: ["培训（近12个月）", "考试（本年）"] };
    option.yAxis = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
    option.series = [
      {
        name: "覆盖率",
        type: "bar",
        itemStyle: { color: "#0d6efd" },
        label: { show: true, position: "top", formatter: "{c}%" },
        data: [o.training_coverage || 0, o.exam_coverage || 0],
      },
    ];
    chart.setOption(option);
    return chart;
  }

  function deviceChecks(o) {
    var chart = surface("device-checks");
    if (!chart) return null;
    var unchecked = o.computers_internet - o.computers_checked_this_quarter - o.computers_check_overdue;
    chart.setOption({
      animation: !still(),
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}：{c} 台" },
      legend: { bottom: 0 },
      series: [
        {
          name: "季度检查",
          type: "pie",
          radius: ["35%", "65%"],
          center: ["50%", "45%"],
          label: { formatter: "{b} {c}" },
          data: [
            { name: "本季度已查", value: o.computers_checked_this_quarter, itemStyle: { color: "#198754" } },
            { name: "本季度待查", value: Math.max(unchecked, 0), itemStyle: { color: "#ffc107" } },
            { name: "逾期未查", value: o.computers_check_overdue, itemStyle: { color: "#c1121f" } },
          ],
        },
      ],
    });
    return chart;
  }

  var charts = [];

  function draw() {
    var data = figures();
    if (!data || typeof echarts === "undefined") {
      return; // the tables already say everything
    }
    charts = [byLevel(data), byStatus(data), overdue(data), trend(data)];
    var oversight = figures("oversight-data");
    if (oversight) {
      charts = charts.concat([findings(oversight), coverage(oversight), deviceChecks(oversight)]);
    }
    charts = charts.filter(Boolean);
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  // The page is always loaded whole (the unit picker is a plain GET form); the top bar's htmx
  // swaps must not redraw the charts.
  document.addEventListener("DOMContentLoaded", draw);
})();
