console.log("test ui");
