/*
 * Charts of the service hall's statistics pages, drawn with the vendored ECharts.
 *
 * Each chart is a <div data-chart="ID"> whose data sits in <script type="application/json"
 * id="ID"> (Django's json_script), so the pages carry no inline script. The data:
 *
 *   {categories: [...], horizontal: bool,
 *    axes: [{name, max}, ...],                  value axes (a second one on the right)
 *    series: [{name, kind: "bar"|"line"|"reference", axis: 0|1, data: [number|null]}]}
 *
 * "reference" series are published targets (Hangzhou 2020, Shanghai 2022), drawn as marks
 * beside the bars. The same figures are in the page's tables.
 */
(function () {
  "use strict";

  var HEIGHT = 340;

  function valueAxis(axis, index) {
    return {
      type: "value",
      name: axis.name,
      max: axis.max,
      position: index === 0 ? "left" : "right",
      splitLine: { show: index === 0 }
    };
  }

  function series(each, horizontal) {
    var common = {
      name: each.name,
      data: each.data,
      connectNulls: false
    };
    var axisKey = horizontal ? "xAxisIndex" : "yAxisIndex";
    common[axisKey] = each.axis || 0;
    if (each.kind === "reference") {
      common.type = "scatter";
      common.symbol = "diamond";
      common.symbolSize = 14;
      common.z = 3;
      return common;
    }
    common.type = each.kind === "line" ? "line" : "bar";
    return common;
  }

  function option(spec) {
    var horizontal = Boolean(spec.horizontal);
    var categories = { type: "category", data: spec.categories, axisLabel: { interval: 0 } };
    if (horizontal) {
      categories.inverse = true;
      categories.axisLabel.width = 160;
      categories.axisLabel.overflow = "truncate";
    } else {
      categories.axisLabel.rotate = spec.categories.length > 6 ? 30 : 0;
    }
    var values = spec.axes.map(valueAxis);
    return {
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, bottom: 8, top: 48, containLabel: true },
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? categories : values,
      series: spec.series.map(function (each) { return series(each, horizontal); })
    };
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    if (!spec.categories.length) {
      element.hidden = true;
      return;
    }
    if (!element.style.height) {
      var rows = spec.horizontal ? spec.categories.length * 28 + 80 : HEIGHT;
      element.style.height = Math.max(rows, 200) + "px";
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option(spec));
    window.addEventListener("resize", function () { chart.resize(); });
    element.setAttribute("data-chart-ready", "true");
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
